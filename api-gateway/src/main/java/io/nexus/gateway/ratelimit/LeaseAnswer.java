package io.nexus.gateway.ratelimit;

/** Redis's answer to one lease step (token-lease.lua). */
record LeaseAnswer(long granted, long capacity, long remaining, long untilFullMs, long retryMs) {
}
