-- Rasa's tracker store gets its own database next to the intake store's.
CREATE DATABASE chungtay_rasa OWNER chungtay;
