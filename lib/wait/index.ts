/** The shared waiter: one adaptive, retrying, abortable wait on a cloud task for every front end. */
export * from './clock';
export * from './errors';
export * from './poll-schedule';
export * from './progress-history';
export * from './retry-policy';
export * from './waiter';
