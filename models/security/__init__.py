"""Trust: accounts and sign-in, the role → permission table, the audit chain, backup and restore."""
