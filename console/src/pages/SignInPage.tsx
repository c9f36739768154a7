import { Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { ErrorAlert } from '../components/common';
import { useConsole } from '../session';

/** Sign-in with an API client's credentials; the token stays in this tab's sessionStorage. */
export function SignInPage() {
  const { signIn } = useConsole();
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(clientId, clientSecret);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError('ERROR', String(e)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder p="xl" w="100%" maw={420} component="main">
        <form onSubmit={(e) => void submit(e)} method="post" action="#">
          <Stack>
            <Title order={1} size="h3">
              Fleet console
            </Title>
            <Text size="sm" c="dimmed">
              Sign in with an API client&apos;s credentials.
            </Text>
            <TextInput
              label="Client id"
              name="client_id"
              autoComplete="username"
              required
              value={clientId}
              onChange={(e) => setClientId(e.currentTarget.value)}
            />
            <PasswordInput
              label="Client secret"
              name="client_secret"
              autoComplete="current-password"
              required
              value={clientSecret}
              onChange={(e) => setClientSecret(e.currentTarget.value)}
            />
            <ErrorAlert error={error} title="Sign-in failed" />
            <Button type="submit" loading={busy}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
