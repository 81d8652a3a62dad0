class DeliveryError(Exception):
    """A provider refused a message or could not be reached; the message was not sent."""
