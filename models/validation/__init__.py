"""The pure validators (ID card, USCC, phone, dates, amounts, counts, names, text) and the checks the
services run on every value they store. They live in models/ so a call that bypasses the forms gets
the same rule and the same Chinese message; forms/ re-exports them for its specs."""
