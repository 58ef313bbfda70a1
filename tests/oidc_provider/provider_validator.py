"""The provider's claims, and the ways a test can ask it to misbehave.

The test writes one word into `OIDC_PROVIDER_DIR/mode`; every ID token issued
after that is spoiled accordingly:

- `normal`: as django-oauth-toolkit issues it;
- `wrong-issuer`: `iss` names another provider;
- `expired`: `exp` an hour ago;
- `rogue-key`: signed with a key that is not in the provider's JWKS.
"""

import json
import time

from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator
from provider_settings import DIR

WRONG_ISSUER = "http://127.0.0.1:9/someone-else"


def mode() -> str:
    path = DIR / "mode"
    return path.read_text().strip() if path.exists() else "normal"


class MisbehavingValidator(OAuth2Validator):
    oidc_claim_scope = OAuth2Validator.oidc_claim_scope

    def get_additional_claims(self, request):
        user = request.user
        return {
            "preferred_username": user.username,
            "email": user.email,
            "email_verified": True,
            "name": f"{user.first_name} {user.last_name}".strip(),
            "given_name": user.first_name,
            "family_name": user.last_name,
        }

    def finalize_id_token(self, id_token, token, token_handler, request):
        signed = super().finalize_id_token(id_token, token, token_handler, request)
        spoil = mode()
        if spoil == "normal":
            return signed
        key = request.client.jwk_key
        claims = json.loads(jwt.JWT(jwt=signed, key=key).claims)
        if spoil == "wrong-issuer":
            claims["iss"] = WRONG_ISSUER
        elif spoil == "expired":
            claims["iat"] = int(time.time()) - 7200
            claims["exp"] = int(time.time()) - 3600
        elif spoil == "rogue-key":
            key = jwk.JWK.from_pem((DIR / "rogue.pem").read_bytes())
        token = jwt.JWT(
            header={"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()}, claims=claims
        )
        token.make_signed_token(key)
        return token.serialize()
