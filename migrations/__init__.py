"""Alembic environment and versions; run programmatically by models.db.upgrade_database."""
