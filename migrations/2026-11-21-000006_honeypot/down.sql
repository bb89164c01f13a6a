DROP TABLE honeypot_hits;
