"""One builder per document kind: build(context) -> blocks.Document."""
