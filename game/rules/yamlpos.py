"""Load YAML while remembering where every value stood, so errors can name file:line:col."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Mark:
    """A 1-based position in a file."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass
class Located:
    """Plain data plus the position of each value (and of each mapping key) by path."""

    data: Any
    file: str
    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)
    duplicates: list[tuple[Path_, Mark]] = field(default_factory=list)

    def mark(self, path: Path_, *, key: bool = False) -> Mark:
        """Best position for a path: the key (for unknown keys), else the value, else its parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Mark(self.file, 1, 1))


class YamlSyntaxError(ValueError):
    """A file that is not valid YAML (or not text at all)."""

    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(f"{mark}: error: {message}")
        self.mark = mark
        self.message = message


def _mark(file: str, node: yaml.Node) -> Mark:
    return Mark(file, node.start_mark.line + 1, node.start_mark.column + 1)


# An alias may be expanded many times ("billion laughs"); past this many values the file is
# refused rather than allowed to eat the memory of a classroom server.
MAX_VALUES = 200_000
MERGE_TAG = "tag:yaml.org,2002:merge"


def _convert(node: yaml.Node, path: Path_, out: Located, loader: yaml.SafeLoader,
             active: set[int] | None = None) -> Any:
    active = set() if active is None else active
    if id(node) in active:
        raise YamlSyntaxError(_mark(out.file, node), "invalid YAML: an alias refers to itself")
    if len(out.values) >= MAX_VALUES:
        raise YamlSyntaxError(_mark(out.file, node),
                              f"file expands to more than {MAX_VALUES} values (aliases nested too deep?)")
    out.values[path] = _mark(out.file, node)
    if isinstance(node, yaml.MappingNode):
        active.add(id(node))
        result: dict[Any, Any] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:  # `<<: *defaults` shares keys between records
                merged.extend(value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node])
                continue
            key = loader.construct_object(key_node, deep=True)
            sub = (*path, key if isinstance(key, str) else str(key))
            if sub[-1] in result:
                out.duplicates.append((sub, _mark(out.file, key_node)))
            out.keys.setdefault(sub, _mark(out.file, key_node))  # a duplicate's message names the first
            result[sub[-1]] = _convert(value_node, sub, out, loader, active)
        # explicit keys win over merged ones, and earlier merges over later (YAML merge-key spec)
        for source in merged:
            if not isinstance(source, yaml.MappingNode):
                raise YamlSyntaxError(_mark(out.file, source), "invalid YAML: '<<' must merge a mapping")
            shared = Located(data=None, file=out.file)
            values = _convert(source, path, shared, loader, active)
            taken = {key for key in values if key not in result}
            for key in taken:
                result[key] = values[key]
            # merged values keep their positions in the anchor, so errors point at the real line
            for table, into in ((shared.values, out.values), (shared.keys, out.keys)):
                for sub, mark in table.items():
                    if len(sub) > len(path) and sub[len(path)] in taken:
                        into.setdefault(sub, mark)
        active.discard(id(node))
        return result
    if isinstance(node, yaml.SequenceNode):
        active.add(id(node))
        items = [_convert(item, (*path, i), out, loader, active) for i, item in enumerate(node.value)]
        active.discard(id(node))
        return items
    return loader.construct_object(node, deep=True)


# PyYAML's messages name its parser's tokens ("expected <block end>, but found '<block mapping
# start>'"); a teacher editing a scenario needs to know what to fix. Each pattern of its problem
# text (and context) maps to plain words; anything not listed keeps PyYAML's own words.
_PLAIN = (
    ("expected <block end>", "this line is indented differently from the lines above it; line up "
     "the keys of one block with spaces"),
    ("could not find expected ':'", "a line of a block must be 'key: value'; the ':' is missing here, or "
     "the line above continues a text that needs quotes"),
    ("mapping values are not allowed here", "a ':' here starts a key where none can be; put text that "
     "holds ': ' in quotes, or check the indentation"),
    ("found character '\\t' that cannot start any token", "a tab character: indent with spaces only"),
    ("found a tab character", "a tab character: indent with spaces only"),
    ("expected ',' or '}'", "a '{' list of keys is not closed: a '}' (or a ',' between two entries) is "
     "missing"),
    ("expected ',' or ']'", "a '[' list is not closed: a ']' (or a ',' between two items) is missing"),
    ("found unexpected end of stream", "a quote or bracket is opened and never closed before the end of "
     "the file"),
    ("found undefined alias", "'*' refers to an anchor ('&name') that is not defined above"),
    ("expected a comment or a line break", "something follows a value on the same line; start a comment "
     "with ' #' or put the value in quotes"),
    ("expected alphabetic or numeric character", "'*' or '&' must be followed by a name; put text that "
     "starts with them in quotes"),
    ("found unknown escape character", "a backslash in double quotes starts an unknown escape; use single "
     "quotes or write '\\\\'"),
    ("expected <document start>", "a second top-level value: the file must be one mapping of keys"),
)


def plain_words(exc: yaml.MarkedYAMLError, opened: tuple[int, int] | None = None) -> str:
    """A YAML parser error in plain words; `opened` is where an unclosed block or bracket began."""
    raw = " ".join(x for x in (exc.problem, exc.context) if x) or "invalid YAML"
    words = next((plain for pattern, plain in _PLAIN if pattern in raw), exc.problem or exc.context or raw)
    if opened is not None and exc.problem and exc.context:
        # PyYAML notices an unclosed bracket only at the next line; say where it opened
        words += f" (it starts at line {opened[0]}, column {opened[1]})"
    return words


def load_text(text: str, file: str) -> Located:
    """Parse YAML text; raise YamlSyntaxError with a located message on any problem."""
    out = Located(data=None, file=file)
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        raise YamlSyntaxError(Mark(file, line, col), "file is binary (it contains NUL bytes), not YAML text")
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlSyntaxError(Mark(file, 1, 1), "file is empty")
        out.data = _convert(node, (), out, loader)
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        line, col = (where.line + 1, where.column + 1) if where else (1, 1)
        start = exc.context_mark
        opened = (start.line + 1, start.column + 1) if start is not None and start is not where else None
        raise YamlSyntaxError(Mark(file, line, col), f"invalid YAML: {plain_words(exc, opened)}") from None
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(Mark(file, 1, 1), f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlSyntaxError(Mark(file, 1, 1), "invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    return out


def load_file(path: Path, shown_as: str | None = None) -> Located:
    """Read and parse a YAML file; unreadable, binary or non-UTF-8 files raise YamlSyntaxError."""
    name = shown_as or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlSyntaxError(Mark(name, 1, 1), f"cannot read file: {exc.strerror}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows editors save "Unicode" as UTF-16
        try:
            return load_text(raw.decode("utf-16"), name)
        except UnicodeDecodeError:
            raise YamlSyntaxError(Mark(name, 1, 1), "file starts like UTF-16 text but is not; "
                                                    "save it as UTF-8") from None
    if b"\x00" in raw:  # a binary file: say so before any decoding error
        return load_text(raw.decode("utf-8", errors="replace"), name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlSyntaxError(
            Mark(name, line, col),
            f"file is not UTF-8 text: byte 0x{raw[exc.start]:02x} cannot be decoded (save it as UTF-8)",
        ) from None
    return load_text(text, name)
