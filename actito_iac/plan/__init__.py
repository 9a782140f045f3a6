"""Pure planning: Desired x Actual -> Plan. No HTTP, no clock, no printing."""
