import * as React from 'react';
import { Button, InputGroup } from '@jupyterlab/ui-components';
import { ErrorBox, toErrorInfo, type ErrorInfo } from './ErrorBox.js';

/** Props of the sign-in form. */
export interface SignInFormProps {
  /** Gateway URL from the settings (editable here for this tab only). */
  gatewayUrl: string;
  onSignIn: (gatewayUrl: string, token: string) => Promise<void>;
}

/** Gateway URL + token form; the token field is a password field and is cleared on success. */
export function SignInForm(props: SignInFormProps): JSX.Element {
  const [url, setUrl] = React.useState(props.gatewayUrl);
  const [token, setToken] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [error, setError] = React.useState<ErrorInfo | null>(null);
  React.useEffect(() => setUrl(props.gatewayUrl), [props.gatewayUrl]);

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.onSignIn(url, token);
      setToken('');
    } catch (e) {
      setError(toErrorInfo(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="jp-Privet-signIn" onSubmit={(e) => void submit(e)}>
      <p className="jp-Privet-hint">
        Sign in to the Privet gateway to see the views you are approved for. Your token stays in
        this browser tab; it is never saved in a notebook.
      </p>
      <label className="jp-Privet-label">
        Gateway URL
        <InputGroup
          name="privet-gateway-url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          spellCheck={false}
        />
      </label>
      <label className="jp-Privet-label">
        Token
        <InputGroup
          name="privet-token"
          type="password"
          autoComplete="off"
          value={token}
          placeholder="pvt_… or the whole sign-in link"
          onChange={(e) => setToken(e.target.value)}
          spellCheck={false}
        />
      </label>
      <Button type="submit" className="jp-Privet-primary" disabled={busy || token.trim() === ''}>
        {busy ? 'Signing in…' : 'Sign in'}
      </Button>
      <ErrorBox error={error} />
    </form>
  );
}
