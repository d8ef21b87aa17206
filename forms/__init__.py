"""Qt-free form specs and validators (ID, USCC, phones, dates, money) with Chinese messages."""
