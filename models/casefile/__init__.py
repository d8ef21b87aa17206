"""The case file (卷宗): attachments stored content-addressed, signed agreement copies, the 卷内目录
with real page counts, the archive checklist, and retention of personal data (issue 15)."""
