/** Environment variable of the onEvent Lambda: ARN of the long-wait poller state machine (set only when one exists). */
export const POLLER_ARN_ENV = 'IMAGEPORT_POLLER_ARN';
