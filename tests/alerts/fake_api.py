"""Old home of the rate-limited fake Bot API, kept for benchmarks/alerts_bench.py (`python -m tests.alerts.fake_api
[RATE]`): use tests.fakes.rate_limited_api."""

import sys

from tests.fakes.rate_limited_api import main

if __name__ == "__main__":
    main(sys.argv[1:])
