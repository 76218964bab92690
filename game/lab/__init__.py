"""Balance lab: tournaments, search AI, sensitivity, RL environments."""
