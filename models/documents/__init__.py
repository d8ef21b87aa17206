"""Official documents: which kinds exist, the context each is printed from, issuing and the ledger."""
