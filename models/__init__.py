"""Qt-free domain core: SQLAlchemy entities, domain rules, services and queries returning dataclasses."""
