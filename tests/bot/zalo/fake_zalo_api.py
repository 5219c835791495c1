"""Old home of the fake Zalo Bot API, kept for benchmarks/zalo_bench.py: use tests.fakes.zalo_api."""

from tests.fakes.zalo_api import FakeZaloApi, text_event

__all__ = ["FakeZaloApi", "text_event"]
