"""Signed checkpoints of the feedback log: proof, later, that the log only grew.

A checkpoint says "on this date the log held N entries and entry N had this hash", signed with
an Ed25519 key the clerk keeps. The committee publishes it in its minutes. Because each entry's
hash covers every entry before it, a later log whose entry N still has that hash holds exactly
the same first N entries: the published log is a prefix of today's (the idea of Certificate
Transparency's signed tree heads, RFC 6962/9162, for a hash chain). Anything rewritten in those
N entries, or a forged entry dated before the checkpoint but absent from it, shows; entries
appended since are named, so the committee sees what is new.

A checkpoint also signs where the draw record stands (`draw-entries`, `draw-head`: the hash
chain of every draw and panel change, `assembly.organiser.draws_record`), so one signature
covers both chains. Checkpoints made before the draw record existed carry only the log's lines
and still verify; they vouch for the log alone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlite_utils import Database

from assembly.core.i18n import Number, _, ngettext
from assembly.feedback.hashchain import GENESIS, TIME_FORM, ChainCheck

BEGIN = "-----BEGIN ASSEMBLY LOG CHECKPOINT-----"  # not words
END = "-----END ASSEMBLY LOG CHECKPOINT-----"  # not words
SIGNED_FIELDS = ("log", "entries", "head", "time", "key")
DRAW_FIELDS = ("draw-entries", "draw-head")  # signed after `head` when present  # not words
LOG_TABLE = "feedback_entries"
DRAW_TABLE = "draw_record"
LISTED = 20  # entries appended since a checkpoint that are named one by one


class CheckpointError(ValueError):
    """A key or checkpoint file that cannot be used, worded for the person who gave it."""


@dataclass(frozen=True)
class Checkpoint:
    log: str  # the assembly's name, so a checkpoint is not mistaken for another log's
    entries: int
    head: str
    time: str  # UTC, like 2026-10-20T14:00:00Z
    key: str  # the clerk's public key, base64 of its 32 bytes
    draw_entries: int | None = None  # the draw record's length and head, when it is covered
    draw_head: str | None = None
    signature: str = ""

    def signed_text(self) -> bytes:
        lines = [f"log: {self.log}", f"entries: {self.entries}", f"head: {self.head}"]
        if self.draw_entries is not None:
            lines.append(f"draw-entries: {self.draw_entries}")  # not words
            lines.append(f"draw-head: {self.draw_head}")  # not words
        lines += [f"time: {self.time}", f"key: {self.key}"]
        return "".join(f"{line}\n" for line in lines).encode()

    def text(self) -> str:
        """The checkpoint as published: plain lines between two markers."""
        return f"{BEGIN}\n{self.signed_text().decode()}signature: {self.signature}\n{END}\n"

    @property
    def key_id(self) -> str:
        """A short name for the signing key, to read out or compare in the minutes."""
        return key_id(base64.b64decode(self.key))


def key_id(raw_public_key: bytes) -> str:
    digest = hashlib.sha256(raw_public_key).hexdigest()[:16]
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


# --- the clerk's key ------------------------------------------------------------------------


def new_key(path: str | Path) -> str:
    """Make a new Ed25519 signing key at `path`, readable by its owner only; returns its id."""
    path = Path(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise CheckpointError(
            _(
                "%(path)s already exists; a signing key is never overwritten. Choose another name.",
                path=path,
            )
        ) from None
    except OSError as error:
        raise CheckpointError(
            _(
                "%(path)s: cannot be written (%(error)s).",
                path=path,
                error=error.strerror or error,
            )
        ) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key_id(_raw_public(key.public_key()))


def load_key(path: str | Path) -> Ed25519PrivateKey:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CheckpointError(
            _("%(path)s: cannot be read (%(error)s).", path=path, error=error.strerror or error)
        ) from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(
            _("%(path)s is not a signing key made by 'assembly log new-key'.", path=path)
        ) from None
    return key


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# --- making and reading checkpoints ----------------------------------------------------------


def make_checkpoint(
    log_name: str,
    check: ChainCheck,
    time: str,
    key: Ed25519PrivateKey,
    record: ChainCheck | None = None,
) -> str:
    """The signed checkpoint text for a log that has just verified as `check` (and the draw
    record as `record`, when given: both heads are signed together)."""
    if not check.ok:
        raise CheckpointError(
            _(
                "The log does not verify, so it cannot be signed. %(check)s",
                check=check.describe(),
            )
        )
    if record is not None and not record.ok:
        raise CheckpointError(
            _(
                "The draw record does not verify, so it cannot be signed. %(check)s",
                check=record.describe(),
            )
        )
    if not TIME_FORM.match(time):
        raise CheckpointError(
            _(
                "The time %(time)s is not a UTC time like 2026-10-20T14:00:00Z.",
                time=repr(time),
            )
        )
    if check.last_time and time < check.last_time:
        raise CheckpointError(
            _(
                "The time %(time)s is before the log's last entry (%(last)s).",
                time=time,
                last=check.last_time,
            )
        )
    if record is not None and record.last_time and time < record.last_time:
        raise CheckpointError(
            _(
                "The time %(time)s is before the draw record's last entry (%(last)s).",
                time=time,
                last=record.last_time,
            )
        )
    unsigned = Checkpoint(
        log=" ".join(log_name.split()),
        entries=check.entries,
        head=check.head,
        time=time,
        key=base64.b64encode(_raw_public(key.public_key())).decode(),
        draw_entries=None if record is None else record.entries,
        draw_head=None if record is None else record.head,
    )
    signature = base64.b64encode(key.sign(unsigned.signed_text())).decode()
    return Checkpoint(**{**unsigned.__dict__, "signature": signature}).text()


_BLOCK = re.compile(re.escape(BEGIN) + r"(.*?)" + re.escape(END), re.S)


def parse_checkpoints(text: str, source: str) -> list[Checkpoint]:
    """Every checkpoint in `text` (minutes may hold several, with other words around them)."""
    found = []
    for number, match in enumerate(_BLOCK.finditer(text), start=1):
        fields: dict[str, str] = {}
        for line in match.group(1).splitlines():
            name, sep, value = line.strip().partition(":")
            if sep:
                fields[name.strip().lower()] = value.strip()
        missing = [n for n in (*SIGNED_FIELDS, "signature") if n not in fields]
        if missing:
            raise CheckpointError(
                _(
                    "%(source)s: checkpoint %(number)s has no %(fields)s line; copy it whole.",
                    source=source,
                    number=number,
                    fields=", ".join(missing),
                )
            )
        if not fields["entries"].isdigit() or not re.fullmatch(r"[0-9a-f]{64}", fields["head"]):
            raise CheckpointError(
                _(
                    "%(source)s: checkpoint %(number)s has an unreadable entries or head line.",
                    source=source,
                    number=number,
                )
            )
        draw = [fields.get(name) for name in DRAW_FIELDS]
        if any(v is not None for v in draw) and not (
            draw[0] is not None
            and draw[0].isdigit()
            and draw[1] is not None
            and re.fullmatch(r"[0-9a-f]{64}", draw[1])
        ):
            raise CheckpointError(
                _(
                    "%(source)s: checkpoint %(number)s has an unreadable draw-entries or "
                    "draw-head line.",
                    source=source,
                    number=number,
                )
            )
        found.append(
            Checkpoint(
                log=fields["log"],
                entries=int(fields["entries"]),
                head=fields["head"],
                time=fields["time"],
                key=fields["key"],
                draw_entries=None if draw[0] is None else int(draw[0]),
                draw_head=draw[1],
                signature=fields["signature"],
            )
        )
    if not found:
        raise CheckpointError(
            _(
                "%(source)s holds no checkpoint (text between %(begin)s and %(end)s).",
                source=source,
                begin=BEGIN,
                end=END,
            )
        )
    return found


def signature_ok(checkpoint: Checkpoint) -> bool:
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(checkpoint.key, validate=True))
        public.verify(
            base64.b64decode(checkpoint.signature, validate=True), checkpoint.signed_text()
        )
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


# --- checking today's log against published checkpoints --------------------------------------


@dataclass(frozen=True)
class CheckpointVerdict:
    checkpoint: Checkpoint
    ok: bool
    message: str
    table: str = LOG_TABLE  # where a failure lies: the log or the draw record
    seq: int | None = None  # the entry it names


def check_checkpoints(
    db: Database,
    chain: ChainCheck,
    checkpoints: list[Checkpoint],
    key_ids: set[str] | None = None,
    record: ChainCheck | None = None,
) -> list[CheckpointVerdict]:
    """Whether each published checkpoint is a prefix of today's log (whose chain verified) and,
    given `record` (the draw record's verified chain), of today's draw record.

    A checkpoint of N entries holds when entry N still has the published hash (so entries 1..N
    are unchanged, by the chain) and every entry after N is dated no earlier than the checkpoint
    (an entry dated before it would have been in it). `key_ids`, when given, are the only keys
    accepted as the clerk's.
    """
    return [_check_one(db, chain, cp, key_ids, record) for cp in checkpoints]


def _check_one(
    db: Database,
    chain: ChainCheck,
    cp: Checkpoint,
    key_ids: set[str] | None,
    record: ChainCheck | None,
) -> CheckpointVerdict:
    when = ngettext(  # the English says "entries" for one too
        "Checkpoint of %(time)s (%(count)s entries)",
        "Checkpoint of %(time)s (%(count)s entries)",
        cp.entries,
        time=cp.time,
        count=Number(cp.entries),
    )
    if not signature_ok(cp):
        return CheckpointVerdict(
            cp,
            False,
            _(
                "%(when)s: its signature does not match its contents (edited after signing?).",
                when=when,
            ),
        )
    if key_ids is not None and cp.key_id not in key_ids:
        return CheckpointVerdict(
            cp,
            False,
            _("%(when)s: signed by key %(key)s, not the clerk's key.", when=when, key=cp.key_id),
        )
    failed = _prefix_problem(db, LOG_TABLE, _("the log"), chain, cp.entries, cp.head, cp.time, when)
    if failed:
        return CheckpointVerdict(cp, False, failed[1], LOG_TABLE, failed[0])
    covered = ""
    if record is not None and cp.draw_entries is not None:
        failed = _prefix_problem(
            db, DRAW_TABLE, _("the draw record"), record, cp.draw_entries, cp.draw_head or "",
            cp.time, when,
        )  # fmt: skip
        if failed:
            return CheckpointVerdict(cp, False, failed[1], DRAW_TABLE, failed[0])
        added = record.entries - cp.draw_entries
        covered = " " + (
            ngettext(  # the English says "entries" for one too
                "The draw record's first %(count)s entries are as published; %(added)s appended "
                "since.",
                "The draw record's first %(count)s entries are as published; %(added)s appended "
                "since.",
                cp.draw_entries,
                count=Number(cp.draw_entries),
                added=Number(added),
            )
            if added
            else ngettext(
                "The draw record's first %(count)s entries are as published; none appended since.",
                "The draw record's first %(count)s entries are as published; none appended since.",
                cp.draw_entries,
                count=Number(cp.draw_entries),
            )
        )
    new = chain.entries - cp.entries
    text = (
        _(
            "✓ %(when)s is a prefix of today's log; signed by key %(key)s.",
            when=when,
            key=cp.key_id,
        )
        + covered
        + " "
    )
    if not new:
        return CheckpointVerdict(cp, True, text + _("No entries appended since."))
    lines = [
        text
        + ngettext(
            "%(count)s entry appended since:",
            "%(count)s entries appended since:",
            new,
            count=Number(new),
        )
    ]
    lines.extend(f"  {line}" for line in _appended(db, cp.entries))
    if new > LISTED:
        lines.append("  " + _("… and %(count)s more.", count=Number(new - LISTED)))
    return CheckpointVerdict(cp, True, "\n".join(lines))


def _prefix_problem(
    db: Database,
    table: str,
    what: str,
    chain: ChainCheck,
    entries: int,
    head_hash: str,
    time: str,
    when: str,
) -> tuple[int, str] | None:
    """(entry, why) when `table`'s first `entries` entries are not the published ones, else None."""
    if entries > chain.entries:
        return chain.entries + 1, ngettext(  # the English says "entries" for one too
            "%(when)s: today's %(what)s has only %(count)s entries, fewer than the "
            "%(published)s published (entries were removed).",
            "%(when)s: today's %(what)s has only %(count)s entries, fewer than the "
            "%(published)s published (entries were removed).",
            chain.entries,
            when=when,
            what=what,
            count=Number(chain.entries),
            published=Number(entries),
        )
    if entries == 0:
        head = GENESIS
    else:
        row = db.execute(f"select hash from {table} where seq = ?", [entries]).fetchone()
        head = row[0] if row else None
    if head != head_hash:
        return entries, ngettext(  # the English says "entries" for one too
            "%(when)s: entry %(entry)s of %(what)s no longer has the published hash, so its "
            "first %(count)s entries are not the ones published (the past was rewritten).",
            "%(when)s: entry %(entry)s of %(what)s no longer has the published hash, so its "
            "first %(count)s entries are not the ones published (the past was rewritten).",
            entries,
            when=when,
            entry=entries,
            what=what,
            count=Number(entries),
        )
    early = db.execute(
        f"select seq, recorded_at from {table} where seq > ? and recorded_at < ? "
        "order by seq limit 1",
        [entries, time],
    ).fetchone()
    if early:
        return early[0], _(
            "%(when)s: entry %(entry)s of %(what)s is dated %(at)s, before the checkpoint, but "
            "was not in it (added later and backdated).",
            when=when,
            entry=early[0],
            what=what,
            at=early[1],
        )
    return None


def _appended(db: Database, after: int) -> Iterator[str]:
    for seq, item, at, kind in db.execute(
        "select seq, item_id, recorded_at, kind from feedback_entries where seq > ? "
        "order by seq limit ?",
        [after, LISTED],
    ):
        if kind == "received":
            yield _(
                "entry %(seq)s: %(at)s, item %(item)s, item received", seq=seq, at=at, item=item
            )
        else:
            yield _("entry %(seq)s: %(at)s, item %(item)s, update", seq=seq, at=at, item=item)
