"""Benchmarks, each printing one JSON line: the engine (`systemic bench`), tournaments locally and
through Ray (`--balance`), the desktop window's frame time (`--ui`) and the classroom server under
load (`python -m game.bench.classroom`). They sit above every layer they measure; nothing imports them
but the CLI."""
