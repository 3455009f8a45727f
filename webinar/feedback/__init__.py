"""After an event: the follow-up email and anonymous feedback."""
