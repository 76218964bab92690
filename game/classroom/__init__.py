"""Classroom role-play: host server, team pages, facilitator console, debrief."""
