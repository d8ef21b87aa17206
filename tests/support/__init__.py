"""Helpers shared by the tests: data builders, desktop fixtures, document and security helpers, and
the worker scripts the race and crash tests start as subprocesses."""
