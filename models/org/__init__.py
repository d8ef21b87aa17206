"""The organisation: levels, units, committees, desks, users with roles, and reference data."""
