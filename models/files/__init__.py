"""Files the centre keeps: the content-addressed store shared by issued documents and case attachments."""
