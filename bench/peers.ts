// The clients `pnpm bench` compares: Splice and what a user would pick instead of it — undici
// (the floor), global fetch, @badgateway/oauth2-client's OAuth2Fetch, axios with
// axios-auth-refresh, simple-oauth2 with fetch. Each is set up the way its README shows, with a
// token obtained from the provider simulator by an authorization-code exchange.

import { OAuth2Client, OAuth2Fetch, type OAuth2Token } from '@badgateway/oauth2-client';
import { MemoryStore } from '@splice/core';
import axios, { type AxiosInstance } from 'axios';
import { createAuthRefresh } from 'axios-auth-refresh';
import { AuthorizationCode } from 'simple-oauth2';
import { Agent, Pool } from 'undici';
import {
  addBenchInstanceWithCode,
  benchConnector,
  benchRuntime,
  REDIRECT_URI,
} from './fixtures.js';

/** Where the provider and the API are; the API answers `GET {apiOrigin}/orders`. */
export interface BenchTarget {
  readonly apiOrigin: string;
  readonly tokenUrl: string;
  readonly authorizationUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A ready client: `call` performs one API request and reads its JSON body. */
export interface BenchClient {
  call(): Promise<void>;
  close(): Promise<void>;
}

/**
 * How a case gets its grant: `code` is a simulator-issued authorization code for
 * {@link REDIRECT_URI}; with `expired` the client's stored access token is already expired.
 */
export interface Grant {
  readonly code: string;
  readonly expired?: boolean;
}

export type CaseName = (typeof CASE_NAMES)[number];
export const CASE_NAMES = [
  'undici Pool.request (floor)',
  'undici Agent.request',
  'fetch + bearer header',
  'splice callEndpoint',
  'OAuth2Fetch (@badgateway/oauth2-client)',
  'axios + axios-auth-refresh',
  'simple-oauth2 + fetch',
] as const;

/** The clients with token handling of their own (the refresh storm and heap compare these). */
export const OAUTH_CASES: readonly CaseName[] = [
  'splice callEndpoint',
  'OAuth2Fetch (@badgateway/oauth2-client)',
  'axios + axios-auth-refresh',
  'simple-oauth2 + fetch',
];

interface RawToken {
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly expires_in?: number;
}

/** A plain RFC 6749 §4.1.3 code exchange for the clients that do not make one themselves. */
async function exchangeCode(target: BenchTarget, code: string): Promise<RawToken> {
  const res = await fetch(target.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: target.clientId,
      client_secret: target.clientSecret,
    }),
  });
  if (!res.ok) throw new Error(`code exchange failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as RawToken;
}

const TWO_HOURS = 2 * 60 * 60 * 1000;

async function drain(res: Response): Promise<void> {
  if (!res.ok) throw new Error(`API answered ${res.status}`);
  await res.json();
}

export async function createClient(
  name: CaseName,
  target: BenchTarget,
  grant: Grant,
  concurrency: number,
): Promise<BenchClient> {
  const url = `${target.apiOrigin}/orders`;
  const origin = new URL(url).origin;
  const path = new URL(url).pathname;
  switch (name) {
    case 'undici Pool.request (floor)': {
      const token = await exchangeCode(target, grant.code);
      const authorization = `Bearer ${token.access_token}`;
      const pool = new Pool(origin, { connections: concurrency, pipelining: 1 });
      return {
        async call() {
          const res = await pool.request({ path, method: 'GET', headers: { authorization } });
          await res.body.json();
        },
        close: () => pool.close(),
      };
    }
    case 'undici Agent.request': {
      const token = await exchangeCode(target, grant.code);
      const authorization = `Bearer ${token.access_token}`;
      const agent = new Agent({ keepAliveTimeout: 10_000 });
      return {
        async call() {
          const res = await agent.request({
            origin,
            path,
            method: 'GET',
            headers: { authorization },
          });
          await res.body.json();
        },
        close: () => agent.close(),
      };
    }
    case 'fetch + bearer header': {
      const token = await exchangeCode(target, grant.code);
      const authorization = `Bearer ${token.access_token}`;
      return {
        call: async () => drain(await fetch(url, { headers: { authorization } })),
        close: async () => {},
      };
    }
    case 'splice callEndpoint': {
      const store = new MemoryStore();
      const connector = benchConnector(target, target.apiOrigin);
      const adder = benchRuntime(connector, store);
      const instanceId = await addBenchInstanceWithCode(adder, grant.code);
      if (grant.expired !== true) {
        return {
          call: async () => {
            await adder.callEndpoint(instanceId, 'list-orders');
          },
          close: () => adder.close(),
        };
      }
      await adder.close();
      // A runtime whose clock is two hours ahead sees the stored access token as expired.
      const runtime = benchRuntime(connector, store, () => Date.now() + TWO_HOURS);
      return {
        call: async () => {
          await runtime.callEndpoint(instanceId, 'list-orders');
        },
        close: () => runtime.close(),
      };
    }
    case 'OAuth2Fetch (@badgateway/oauth2-client)': {
      const client = new OAuth2Client({
        server: new URL(target.tokenUrl).origin,
        tokenEndpoint: target.tokenUrl,
        authorizationEndpoint: target.authorizationUrl,
        clientId: target.clientId,
        clientSecret: target.clientSecret,
        authenticationMethod: 'client_secret_post',
      });
      let token: OAuth2Token = await client.authorizationCode.getToken({
        code: grant.code,
        redirectUri: REDIRECT_URI,
      });
      if (grant.expired === true) token = { ...token, expiresAt: Date.now() - 1_000 };
      const wrapper = new OAuth2Fetch({
        client,
        getNewToken: () => null,
        getStoredToken: () => token,
        storeToken: (t) => {
          token = t;
        },
        scheduleRefresh: false,
      });
      return {
        call: async () => drain(await wrapper.fetch(url)),
        close: async () => {},
      };
    }
    case 'axios + axios-auth-refresh': {
      const raw = await exchangeCode(target, grant.code);
      let accessToken = raw.access_token;
      let refreshToken = raw.refresh_token ?? '';
      const api: AxiosInstance = axios.create();
      api.interceptors.request.use((config) => {
        config.headers.Authorization = `Bearer ${accessToken}`;
        return config;
      });
      // The refresh logic from axios-auth-refresh's README, with its default options.
      // axios ships separate CJS and ESM type trees; axios-auth-refresh's types name the CJS one.
      createAuthRefresh(
        api as never,
        async (failed: { response: { config: { headers: Record<string, string> } } }) => {
          const res = await axios.post<RawToken>(
            target.tokenUrl,
            new URLSearchParams({
              grant_type: 'refresh_token',
              refresh_token: refreshToken,
              client_id: target.clientId,
              client_secret: target.clientSecret,
            }),
          );
          accessToken = res.data.access_token;
          refreshToken = res.data.refresh_token ?? refreshToken;
          failed.response!.config.headers.Authorization = `Bearer ${accessToken}`;
        },
      );
      // axios-auth-refresh reacts to a 401: an expired token is noticed by the API, not the client.
      return {
        call: async () => {
          await api.get(url);
        },
        close: async () => {},
      };
    }
    case 'simple-oauth2 + fetch': {
      const client = new AuthorizationCode({
        client: { id: target.clientId, secret: target.clientSecret },
        auth: {
          tokenHost: new URL(target.tokenUrl).origin,
          tokenPath: new URL(target.tokenUrl).pathname,
          authorizePath: new URL(target.authorizationUrl).pathname,
        },
        options: { authorizationMethod: 'body' },
      });
      let accessToken = await client.getToken({ code: grant.code, redirect_uri: REDIRECT_URI });
      if (grant.expired === true) {
        accessToken = client.createToken({
          ...accessToken.token,
          expires_at: new Date(Date.now() - 1_000),
        });
      }
      // The refresh-before-use pattern from simple-oauth2's README.
      return {
        call: async () => {
          if (accessToken.expired()) accessToken = await accessToken.refresh();
          await drain(
            await fetch(url, {
              headers: { authorization: `Bearer ${accessToken.token.access_token}` },
            }),
          );
        },
        close: async () => {},
      };
    }
  }
}
