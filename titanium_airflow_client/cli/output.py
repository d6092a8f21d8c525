"""What commands print: table cells, aligned tables, one object's fields, the model's JSON, and notes.

Results go to stdout; notes, warnings and errors to stderr. Nothing here imports the library
at module level: commands register their columns while the command line is parsed.
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import Enum
from typing import IO, TYPE_CHECKING, Any, Callable, Dict, List, Optional, Sequence, Tuple

from titanium_airflow_client.cli.errors import error_line, one_line

if TYPE_CHECKING:
    from titanium_airflow_client.models import ApiModel

Column = Tuple[str, Callable[[Any], Any]]


def attr(name: str) -> Callable[[Any], Any]:
    """A column's getter: the model's field ``name`` (None when the server left it out)."""
    return lambda model: getattr(model, name, None)


def columns(
    fields: Optional[Sequence[str]], default: Sequence[Column], model_type: Optional[type[ApiModel]] = None
) -> List[Column]:
    """The ``--fields`` asked for as columns, in the order asked; else the command's own columns.

    With ``model_type`` (the rows' model) a JSON name reads the field it stands for: a connection's
    ``schema`` is its ``schema_`` (``schema`` is also a method every pydantic model has).
    """
    if not fields:
        return list(default)
    model_fields = model_type.model_fields if model_type else {}
    aliased = {field.alias: name for name, field in model_fields.items() if field.alias}
    return [(name, attr(aliased.get(name, name))) for name in fields]


def cell(value: Any) -> str:
    """One table cell: short, on one line; "-" for nothing (an empty cell would shift the columns)."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return one_line(value) or "-"  # an empty cell would shift the columns of a line split on spaces
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, (list, tuple)):
        return ",".join(cell(item) for item in value) if value else "-"
    if isinstance(value, dict):
        import json

        return json.dumps(value, separators=(",", ":"), default=str)
    to_json = getattr(value, "to_json", None)
    if not callable(to_json):  # a number, or anything else that is not a model
        return one_line(str(value))
    shown = _model_cells().get(type(value))
    return shown(value) if shown is not None else one_line(str(to_json()))  # any other model: its JSON


_MODEL_CELLS: Dict[type, Callable[[Any], str]] = {}


def _model_cells() -> Dict[type, Callable[[Any], str]]:
    """How models that stand for one value are shown; filled on first use (the models are imported then)."""
    if not _MODEL_CELLS:
        from titanium_airflow_client.models import CronExpression, RelativeDelta, Tag, TimeDelta

        _MODEL_CELLS.update({
            Tag: lambda tag: tag.name or "-",
            CronExpression: lambda cron: cron.value or "-",
            TimeDelta: lambda delta: str(delta.to_timedelta()),
            # dateutil's own repr, as a DAG file writes the schedule: relativedelta(months=+1, hour=3)
            RelativeDelta: lambda delta: repr(delta.to_relativedelta()),
        })
    return _MODEL_CELLS


GAP = 2  # spaces between table columns
ELLIPSIS = "…"
SHORTEST_HEADER = 4  # a header is cut only when the terminal cannot show them whole, and never below this


def fit_widths(widths: Sequence[int], headers: Sequence[int], room: int) -> List[int]:
    """Column widths summing to at most ``room``: the widest shrink first, down to a common cap.

    A column keeps at least its header's width (or ``SHORTEST_HEADER`` when even the headers do not fit);
    when that is still too wide, the table is as narrow as it can be and the terminal wraps it.
    """
    if sum(widths) <= room:
        return list(widths)
    floors = [min(width, header) for width, header in zip(widths, headers, strict=True)]
    if sum(floors) > room:
        floors = [min(floor, SHORTEST_HEADER) for floor in floors]

    def total(cap: int) -> int:
        return sum(max(floor, min(width, cap)) for width, floor in zip(widths, floors, strict=True))

    low, high = 0, max(widths)  # the largest cap that fits: total(low) <= room, or low = 0
    while low < high:
        middle = (low + high + 1) // 2
        if total(middle) <= room:
            low = middle
        else:
            high = middle - 1
    fitted = [max(floor, min(width, low)) for width, floor in zip(widths, floors, strict=True)]
    spare = room - sum(fitted)
    for index, width in enumerate(widths):  # what is left over after the cap: one more each, left to right
        if spare <= 0:
            break
        if fitted[index] == low and width > low:
            fitted[index] += 1
            spare -= 1
    return fitted


def cut(text: str, width: int) -> str:
    """``text`` in ``width`` characters: whole when it fits, else its start and "…"."""
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


class Output:
    """Where results (stdout) and messages (stderr) go, and in which form."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    @property
    def out(self) -> IO[str]:
        return sys.stdout

    @property
    def err(self) -> IO[str]:
        return sys.stderr

    def note(self, text: str) -> None:
        """A message for the person at the terminal (stderr), never part of the result."""
        print(text, file=self.err, flush=True)

    def error(self, text: str) -> None:
        """An error, in the one form every error takes."""
        self.note(error_line(text))

    def json_text(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def terminal_width(self) -> Optional[int]:
        """The terminal's width when stdout is one; None for a pipe or a file (whole cells for scripts)."""
        isatty = getattr(self.out, "isatty", None)
        if not callable(isatty) or not isatty():
            return None
        import shutil

        return shutil.get_terminal_size().columns

    def table(self, rows: Sequence[Any], columns: Sequence[Column]) -> None:
        """Aligned columns; on a terminal no wider than it (the widest cells cut, ending in "…")."""
        header = [name.upper() for name, _ in columns]
        lines = [header] + [[cell(get(row)) for _, get in columns] for row in rows]
        widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
        terminal = self.terminal_width()
        if terminal is not None:
            widths = fit_widths(widths, [len(name) for name in header], terminal - GAP * (len(widths) - 1))
        for line in lines:
            text = "  ".join(cut(value, width).ljust(width) for value, width in zip(line, widths, strict=True))
            print(text.rstrip(), file=self.out)
        self.out.flush()

    def record(self, model: ApiModel, first: Sequence[str] = ()) -> None:
        """Every field the server sent, one per line (name, value): those in ``first`` first, in that order."""
        pairs: List[Tuple[str, str]] = []
        for name, field in type(model).model_fields.items():
            if name in model.model_fields_set:
                pairs.append((field.alias or name, cell(getattr(model, name))))
        pairs.extend((key, cell(value)) for key, value in (model.model_extra or {}).items())
        if first:
            order = {name: index for index, name in enumerate(first)}
            pairs.sort(key=lambda pair: order.get(pair[0], len(order)))  # stable: the rest keep the model's order
        self.pairs(pairs)

    def pairs(self, pairs: Sequence[Tuple[str, str]]) -> None:
        """Names and values, one pair per line, the values aligned."""
        width = max((len(key) for key, _ in pairs), default=0)
        for key, value in pairs:
            print(f"{key.ljust(width)}  {value}", file=self.out)
        self.out.flush()

    def model(self, model: ApiModel, columns: Sequence[Column]) -> None:
        """One object: its JSON, or a one-row table."""
        if self.as_json:
            self.json_text(model.to_json())
        else:
            self.table([model], columns)

    def detail(self, model: ApiModel, first: Sequence[str] = ()) -> None:
        """One object: its JSON, or all its fields (those in ``first`` first)."""
        if self.as_json:
            self.json_text(model.to_json())
        else:
            self.record(model, first)

    def listing(
        self, collection: ApiModel, items: Optional[Sequence[Any]], columns: Sequence[Column], what: str
    ) -> None:
        """A collection: its JSON, or a table of its items and a note when it is empty or partial."""
        if self.as_json:  # the collection says it all: total_entries
            self.json_text(collection.to_json())
            return
        rows = list(items or [])
        if rows:
            self.table(rows, columns)
        total = getattr(collection, "total_entries", None)
        if not rows and not total:
            self.note(f"no {what} match")
        elif total is not None and total > len(rows):
            self.note(f"{len(rows)} of {total} {what} shown; see --limit/--offset, or --all")
