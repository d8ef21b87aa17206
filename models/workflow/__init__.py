"""Workflow around a case: deadlines and their supervision, the 双派单 dispatch loop, escalation and
会诊, arbitration tracks and the holiday calendar."""
