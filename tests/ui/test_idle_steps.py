"""The suite's shorter idle steps for Pilot (`tests/conftest.py`) still reach Textual: the
names it sets are the ones `wait_for_idle` reads, so an upgrade that renames them fails here
instead of silently bringing back the longer sleeps."""

from __future__ import annotations

import inspect

import textual._wait as wait


def test_wait_for_idle_reads_the_steps_the_suite_sets() -> None:
    source = inspect.getsource(wait.wait_for_idle)
    assert "sleep(SLEEP_GRANULARITY)" in source
    assert "cpu_elapsed < SLEEP_IDLE" in source
    assert wait.SLEEP_GRANULARITY == 1 / 100
    assert wait.SLEEP_IDLE == wait.SLEEP_GRANULARITY / 20
