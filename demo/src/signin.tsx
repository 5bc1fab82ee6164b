// Sign in or register with email and password (REST /api/auth/login and /register).
import { useState, type FormEvent } from 'react';
import { describe, register, signIn, type Session } from './session.ts';

export function SignIn({ onSession }: { onSession: (session: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (how: 'login' | 'register') => {
    setBusy(true);
    setError(null);
    try {
      onSession(
        how === 'login'
          ? await signIn(email, password)
          : await register(email, password, name || email.split('@')[0] || email),
      );
    } catch (err) {
      setError(describe(err));
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run('login');
  };

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit}>
        <div className="brand brand-large">
          <span className="logo" aria-hidden="true" />
          Ensemble
        </div>
        <p className="muted">
          Real-time collaboration for design-system teams. Sign in, or create an account to try it.
        </p>
        <label>
          Email
          <input
            data-testid="signin-email"
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          Password
          <input
            data-testid="signin-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label>
          Name <span className="muted">(to register)</span>
          <input data-testid="signin-name" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button data-testid="signin-submit" className="primary" type="submit" disabled={busy}>
            Sign in
          </button>
          <button data-testid="register-submit" type="button" disabled={busy} onClick={() => void run('register')}>
            Register
          </button>
        </div>
      </form>
    </main>
  );
}
