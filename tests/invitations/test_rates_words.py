"""`assembly invitations rates` words each grouping in the working language (issue 22): the
option's value (decile, ward, wave) is never put into a sentence or a heading as it is; an area
column of the officer's own file is named by its heading."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assembly.core import i18n
from assembly.store import languages, open_assembly
from tests.invitations.conftest import run


def _pseudo_file(path: Path) -> Path:
    assembly = open_assembly(path)
    languages.set_languages(assembly.db(), working=i18n.PSEUDO)
    assembly.close()
    return path


@pytest.mark.parametrize("by", ["decile", "ward", "wave"])
def test_each_grouping_is_worded(two_wards: Path, by: str) -> None:
    out = run("invitations", "rates", _pseudo_file(two_wards), "--by", by).output
    lines = out.splitlines()
    assert lines[0] == i18n.pseudo(
        f"Response by {by}, weighted by inclusion probability (%(percent)s Wilson interval)"
    ) % {"percent": "95%"}
    assert lines[1].split()[0] == i18n.pseudo(by).split()[0]  # the column's heading
    assert not re.search(rf"\b{by}\b", out, re.IGNORECASE), out
    if by != "wave":
        assert (
            i18n.pseudo(f"A second wave to bring each {by} to its share of the registrations:")
            in out
        )


def test_a_group_with_no_value_is_worded(two_wards: Path) -> None:
    out = run("invitations", "rates", _pseudo_file(two_wards), "--by", "decile").output
    assert i18n.pseudo("no decile") in out


def test_english_reads_as_it_did(two_wards: Path) -> None:
    out = run("invitations", "rates", two_wards, "--by", "decile").output
    lines = out.splitlines()
    assert lines[0] == (
        "Response by decile, weighted by inclusion probability (95% Wilson interval)"
    )
    assert lines[1].split()[:2] == ["decile", "letters"] and "  no decile " in out
    assert "A second wave to bring each decile to its share of the registrations:" in out
    parish = run("invitations", "rates", two_wards, "--by", "area", "--area-field", "parish")
    assert parish.output.splitlines()[1].split()[0] == "parish"  # the file's own heading
