export const SERVE_USAGE = 'usage: fer serve [--port 3000] [--data <dir>] [--workers N] [--fps N] [--profile P] [--s3-port N] [--dynamodb-port N]';
