DROP TABLE fulfilment_delays;
