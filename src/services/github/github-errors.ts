// GitHub failures met while a client waits (connect, a webhook delivery), as errors from the table.
import { AppError } from '../../utils/errors.ts';
import { GithubError } from './github-api.ts';

/** A GitHub failure on a request made while the client waits, as an error from the table. */
export function githubAppError(err: unknown): unknown {
  if (!(err instanceof GithubError)) return err;
  if (err.failure === 'unauthorized' || err.failure === 'forbidden')
    return new AppError('github_token_rejected', err.message);
  if (err.failure === 'not_found') return new AppError('github_repo_not_found', err.message);
  if (err.failure === 'rate_limited') {
    const seconds = Math.max(1, Math.ceil(((err.retryAt?.getTime() ?? Date.now()) - Date.now()) / 1000));
    return new AppError('github_rate_limited', err.message, undefined, { 'Retry-After': String(seconds) });
  }
  return new AppError('github_unavailable', err.message);
}
