"""Bulk work pauses Python's cyclic collector, and always gives it back: after nested blocks, blocks
in several threads, and a block that raised."""

from __future__ import annotations

import gc
import threading

import pytest
from conftest import REPO

from bluebook.data.bulk import without_cyclic_gc
from bluebook.data.project import open_project


def test_nested_blocks_resume_the_collector_only_at_the_end():
    assert gc.isenabled()
    with without_cyclic_gc():
        assert not gc.isenabled()
        with without_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block still runs
    assert gc.isenabled()


def test_a_block_that_raises_resumes_the_collector():
    with pytest.raises(RuntimeError), without_cyclic_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_blocks_in_threads_resume_the_collector_when_the_last_ends():
    inside, release = threading.Barrier(3), threading.Event()

    def work():
        with without_cyclic_gc():
            inside.wait()
            release.wait(10)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    inside.wait()
    assert not gc.isenabled()
    release.set()
    for t in threads:
        t.join(10)
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with without_cyclic_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_opening_the_project_leaves_the_collector_on():
    open_project(REPO)
    assert gc.isenabled()
