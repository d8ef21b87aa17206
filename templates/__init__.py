"""Qt-free, database-free official documents: contexts -> neutral blocks -> PDF / DOCX."""
