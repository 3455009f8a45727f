"""Personal joining links: one address per booking that opens the meeting in its window."""
