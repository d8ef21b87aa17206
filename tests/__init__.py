"""Test suite; mirrors the packages (GUI tests with pytest-qt)."""
