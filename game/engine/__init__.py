"""The batched game engine. It never imports pygame; the UI, classroom and lab all call it.

    world = build_world(load_scenario("digital-leninism-2017"))
    state = new_game(world, batch=1)
    state, report = resolve(state, encode(state, orders), rng)
"""

from game.engine.orders import (
                               BatchOrders,
                               IllegalOrders,
                               MalformedOrders,
                               OrderError,
                               Orders,
                               check_orders,
                               decode,
                               encode,
)
from game.engine.report import Report
from game.engine.resolve import new_game, resolve, status_quo_orders
from game.engine.score import COMPONENTS, OUTCOMES, Outcome, outcome
from game.engine.state import GameState
from game.engine.world import World, build_world

__all__ = [
    "COMPONENTS", "OUTCOMES", "BatchOrders", "GameState", "IllegalOrders", "MalformedOrders", "OrderError", "Orders",
    "Outcome",
    "Report", "World", "build_world", "check_orders", "decode", "encode", "new_game", "outcome",
    "resolve", "status_quo_orders",
]
