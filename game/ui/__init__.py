"""Desktop game (pygame-ce + pygame_gui). Only this package imports pygame."""
