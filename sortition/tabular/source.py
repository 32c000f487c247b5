"""The bytes of an input file, read only if it is a regular file and not too large.

A size limit means nothing for what is not a regular file: `/dev/zero` and `/dev/urandom`
report size 0 and never end, and a FIFO blocks until something writes to it. So the file is
checked before it is opened (a link is followed: a link to a regular file is read as that
file), opened without blocking and checked again on the open descriptor (the name may have been
swapped between the two), and never read past the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sortition.tabular.table import DEFAULT_LIMITS, Limits, TableError
from sortition.words import Words, words

_NOT_REGULAR = words(
    "is not a regular file (a device, a pipe, a socket or a folder), so it is not read; "
    "save the data to a file and use that"
)


def read_file(
    path: str | Path, *, limits: Limits = DEFAULT_LIMITS, display_name: str | None = None
) -> bytes:
    """The bytes of `path`, refused unless it is a regular file of at most `limits.max_bytes`."""
    name = display_name or str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise TableError(_NOT_REGULAR, file=name)
        _check_size(info.st_size, name, limits)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        descriptor = os.open(path, flags)
    except OSError as err:
        raise TableError(
            words("cannot open it (%(reason)s)", reason=str(err.strerror or err)), file=name
        ) from None
    try:
        with os.fdopen(descriptor, "rb") as handle:
            opened = os.fstat(handle.fileno())
            if not stat.S_ISREG(opened.st_mode):  # swapped after the first check
                raise TableError(_NOT_REGULAR, file=name)
            _check_size(opened.st_size, name, limits)
            data = handle.read(limits.max_bytes + 1)
    except OSError as err:
        raise TableError(
            words("cannot be read (%(reason)s)", reason=str(err.strerror or err)), file=name
        ) from None
    _check_size(len(data), name, limits)  # grew while being read
    return data


def _check_size(size: int, name: str, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise TableError(
            words(
                "is %(size)s, over the limit of %(limit)s; files that large are refused",
                size=_amount(size),
                limit=_amount(limits.max_bytes),
            ),
            file=name,
        )


def _amount(size: int) -> Words:
    if size >= 10_000_000:
        return words("%(amount)s MB", amount=f"{size / 1e6:,.0f}")
    return words("%(amount)s bytes", amount=f"{size:,}")
