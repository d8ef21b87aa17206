"""Cases: the entity, its parties and stage events, the stage table, numbering, registration and
editing services, agreements, list queries and search."""
