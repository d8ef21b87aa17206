"""Demo and benchmark data: a seeded demo centre and realistic fake names, numbers and facts."""
