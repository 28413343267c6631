"""Writing records line by line: JSON Lines or CSV, one file or a train/test pair.

Files are written under a temporary name beside the target and renamed when the export ends,
so a failed or interrupted export never leaves a half file where a pipeline would pick it up.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

SPLITS = ("train", "test")
#: Bytes written per system call: a million rows are ~550 MB, 8 KiB at a time is 70 000 calls.
WRITE_BUFFER = 1 << 20
#: `json.dumps(record, ensure_ascii=False, allow_nan=False)` without building an encoder per line.
JSON_LINE = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode


def split_paths(out: str) -> dict[str, Path]:
    """FILE → {"train": FILE.train.ext, "test": FILE.test.ext} ("sft.jsonl" → "sft.train.jsonl")."""
    path = Path(out)
    stem, suffix = (path.name[: -len(path.suffix)], path.suffix) if path.suffix else (path.name, "")
    return {split: path.with_name(f"{stem}.{split}{suffix}") for split in SPLITS}


def csv_value(value: Any) -> str:
    """A CSV cell: empty for null, true/false for booleans (what spreadsheets and pandas read back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class RecordFile:
    """One output stream of records."""

    def __init__(self, target: Path | None, fmt: str, columns: Sequence[str] | None) -> None:
        self.target = target
        self.count = 0
        self._temp = target.with_name(f".{target.name}.partial-{os.getpid()}") if target else None
        self._stream: IO[str] = open(self._temp, "w", encoding="utf-8", newline="",
                                                buffering=WRITE_BUFFER) if self._temp else sys.stdout
        self._csv = csv.writer(self._stream, lineterminator="\n") if fmt == "csv" else None
        self._columns = list(columns or ())
        if self._csv is not None:
            self._csv.writerow(self._columns)

    def write(self, record: dict[str, Any]) -> None:
        if self._csv is not None:
            self._csv.writerow([csv_value(record.get(name)) for name in self._columns])
        else:
            self._stream.write(JSON_LINE(record) + "\n")
        self.count += 1

    def commit(self) -> None:
        self._stream.flush()
        if self._temp is not None and self.target is not None:
            self._stream.close()
            os.replace(self._temp, self.target)

    def abort(self) -> None:
        if self._temp is not None:
            self._stream.close()
            self._temp.unlink(missing_ok=True)


class Output:
    """Where an export's records go: FILE, or FILE's .train/.test pair when splitting; '-' is stdout."""

    def __init__(self, out: str, fmt: str, *, split: bool, columns: Sequence[str] | None = None) -> None:
        if split:
            self.files = {name: RecordFile(path, fmt, columns) for name, path in split_paths(out).items()}
        else:
            self.files = {"all": RecordFile(None if out == "-" else Path(out), fmt, columns)}

    def write(self, record: dict[str, Any], split: str | None) -> None:
        self.files[split or "all"].write(record)

    def commit(self) -> None:
        for file in self.files.values():
            file.commit()

    def abort(self) -> None:
        for file in self.files.values():
            file.abort()
