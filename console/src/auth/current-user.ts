/** Who is signed in, as `GET /v2/authentication/me` tells it (username null: `--auth none`). */
export interface CurrentUser {
  readonly username: string | null;
  readonly displayName: string | null;
  readonly groups?: readonly string[];
  readonly roles?: readonly string[];
}
