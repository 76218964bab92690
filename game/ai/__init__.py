"""AI players. They produce the same Orders as people, one game at a time or for a whole batch."""

from game.ai.personas import PERSONAS, Persona, decide, decide_batch, persona

__all__ = ["PERSONAS", "Persona", "decide", "decide_batch", "persona"]
