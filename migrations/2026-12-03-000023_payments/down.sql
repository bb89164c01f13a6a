DROP TABLE provider_events;
DROP TABLE payment_events;
DROP TABLE payments;
