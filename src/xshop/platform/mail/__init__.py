"""Mail: an SMTP sender for the services and a development mail catcher that receives what they send."""
