"""Fakes for the tests: local platform API servers and clocks. Helpers, not tests: import them freely."""
