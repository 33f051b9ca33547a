import base64
import json
import logging
import os
import stat

import pytest

from privacy.config import (
    PrivacyKeys,
    add_key_to_file,
    generate_key_file,
    load_blind_index_key_from_env,
    load_field_cipher_from_env,
    load_keyring_from_env,
    load_privacy_keys,
    load_pseudonym_key_from_env,
    retire_key_in_file,
)
from privacy.crypto import (
    BlindIndex,
    FieldCipher,
    KeyConfigError,
    KeyRing,
    TamperedCiphertext,
    UnknownKey,
    blind_index,
    configure_blind_index,
)

K1 = bytes(range(32))
K2 = bytes(range(1, 33))
WHERE = {"table": "application", "field": "applicant_name", "record_id": "310000-20261101-000001-5"}


@pytest.fixture(params=["aes-256-gcm", "sm4-gcm"])
def cipher(request: pytest.FixtureRequest) -> FieldCipher:
    return FieldCipher(KeyRing({"k1": K1}, "k1"), algorithm=request.param)


def test_round_trip_and_token_shape(cipher: FieldCipher) -> None:
    token = cipher.encrypt("张三 310104199001011234".encode(), **WHERE)
    version, key_id, alg, body = token.split(".")
    assert (version, key_id) == ("v1", "k1")
    assert alg == {"aes-256-gcm": "a256gcm", "sm4-gcm": "sm4gcm"}[cipher.algorithm]
    assert "张三" not in token and body
    assert cipher.decrypt(token, **WHERE) == "张三 310104199001011234".encode()
    assert cipher.decrypt_text(cipher.encrypt_text("", **WHERE), **WHERE) == ""


def test_random_nonce(cipher: FieldCipher) -> None:
    assert cipher.encrypt(b"same", **WHERE) != cipher.encrypt(b"same", **WHERE)


@pytest.mark.parametrize(
    "other",
    [
        {**WHERE, "table": "case_event"},
        {**WHERE, "field": "respondent_name"},
        {**WHERE, "record_id": "310000-20261101-000002-3"},
    ],
)
def test_wrong_associated_data_is_tampering(cipher: FieldCipher, other: dict) -> None:
    token = cipher.encrypt(b"secret", **WHERE)
    with pytest.raises(TamperedCiphertext):
        cipher.decrypt(token, **other)


def test_every_flipped_bit_is_detected(cipher: FieldCipher) -> None:
    token = cipher.encrypt(b"13800138000", **WHERE)
    head, body = token.rsplit(".", 1)
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    for i in range(len(raw) * 8):
        flipped = bytearray(raw)
        flipped[i // 8] ^= 1 << (i % 8)
        bad = head + "." + base64.urlsafe_b64encode(bytes(flipped)).rstrip(b"=").decode()
        with pytest.raises(TamperedCiphertext):
            cipher.decrypt(bad, **WHERE)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "garbage",
        "v2.k1.a256gcm.AAAA",
        "v1.k1.rot13.AAAA",
        "v1.k1.a256gcm.AA",
        "v1.k1.a256gcm.!!",
    ],
)
def test_malformed_tokens(bad: str) -> None:
    with pytest.raises(TamperedCiphertext):
        FieldCipher(KeyRing({"k1": K1}, "k1")).decrypt(bad, **WHERE)


def test_algorithm_switch_in_header_is_detected() -> None:
    ring = KeyRing({"k1": K1}, "k1")
    token = FieldCipher(ring).encrypt(b"x", **WHERE)
    forged = token.replace(".a256gcm.", ".sm4gcm.")
    with pytest.raises(TamperedCiphertext):
        FieldCipher(ring, "sm4-gcm").decrypt(forged, **WHERE)


def test_unknown_key() -> None:
    token = FieldCipher(KeyRing({"old": K1}, "old")).encrypt(b"x", **WHERE)
    with pytest.raises(UnknownKey) as info:
        FieldCipher(KeyRing({"new": K2}, "new")).decrypt(token, **WHERE)
    assert info.value.key_id == "old"


def test_rotation_keeps_every_record_readable_then_old_key_retires() -> None:
    ring = KeyRing({"k1": K1}, "k1")
    old = FieldCipher(ring)
    rows = {
        str(i): old.encrypt(f"value {i}".encode(), table="t", field="f", record_id=i)
        for i in range(50)
    }
    new = FieldCipher(ring.with_key("k2", K2), algorithm="sm4-gcm")
    for i, (rid, token) in enumerate(list(rows.items())):
        assert new.needs_rotation(token)
        if i % 2:  # mid-traffic: half rotated, all readable
            rows[rid] = new.rotate(token, table="t", field="f", record_id=int(rid))
    assert all(new.decrypt(t, table="t", field="f", record_id=int(r)) for r, t in rows.items())
    for rid, token in rows.items():
        rows[rid] = new.rotate(token, table="t", field="f", record_id=int(rid))
        assert not new.needs_rotation(rows[rid])
        assert new.rotate(rows[rid], table="t", field="f", record_id=int(rid)) == rows[rid]
    retired = FieldCipher(new.keyring.without("k1"), algorithm="sm4-gcm")
    for rid, token in rows.items():
        assert (
            retired.decrypt(token, table="t", field="f", record_id=int(rid))
            == f"value {rid}".encode()
        )
    with pytest.raises(KeyConfigError):
        retired.keyring.without("k2")


def test_sm4_gcm_matches_rfc8998_style_vector() -> None:
    # GB/T 32907 SM4 GCM test vector (RFC 8998 appendix A.1).
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    iv = bytes.fromhex("00001234567800000000ABCD")
    aad = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
    pt = bytes.fromhex(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
    )
    enc = Cipher(algorithms.SM4(key), modes.GCM(iv)).encryptor()
    enc.authenticate_additional_data(aad)
    ct = enc.update(pt) + enc.finalize()
    assert ct.hex().upper().startswith("17F399F08C67D5EE19D0DC9969C4BB7D")
    assert enc.tag.hex().upper() == "83DE3541E4C2B58177E065A9BF7B62EC"


def test_keyring_validation_and_repr_hides_material() -> None:
    with pytest.raises(KeyConfigError):
        KeyRing({"k1": b"short"}, "k1")
    with pytest.raises(KeyConfigError):
        KeyRing({"k.1": K1}, "k.1")
    with pytest.raises(KeyConfigError):
        KeyRing({"k1": K1}, "k2")
    ring = KeyRing({"k1": K1, "k2": K2}, "k2")
    for obj in (ring, FieldCipher(ring), BlindIndex(K1)):
        text = repr(obj) + str(obj)
        assert K1.hex() not in text and base64.b64encode(K1).decode() not in text
        assert repr(K1) not in text


def test_blind_index_normalises_and_separates() -> None:
    bi = BlindIndex(b"b" * 32)
    assert bi("11010519491231002x", purpose="id_number") == bi(
        " 11010519491231002X ", purpose="id_number"
    )
    phone = bi("13800138000", purpose="phone")
    for variant in ("138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "８６13800138000"):
        assert bi(variant, purpose="phone") == phone
    assert bi("13800138000", purpose="id_number") != phone  # purposes are separated
    assert BlindIndex(b"c" * 32)("13800138000", purpose="phone") != phone
    assert len(phone) == 64 and int(phone, 16) >= 0
    assert bi("A@Example.ORG", purpose="email") == bi("a@example.org", purpose="email")


def test_module_level_blind_index(monkeypatch: pytest.MonkeyPatch) -> None:
    configure_blind_index(None)
    monkeypatch.setenv("HUB_BLIND_INDEX_KEY", base64.b64encode(b"k" * 32).decode())
    try:
        assert blind_index("13800138000", purpose="phone") == BlindIndex(b"k" * 32)(
            "13800138000", purpose="phone"
        )
        configure_blind_index(b"z" * 32)
        assert blind_index("x", purpose="p") == BlindIndex(b"z" * 32)("x", purpose="p")
    finally:
        configure_blind_index(None)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def test_keys_from_env() -> None:
    env = {
        "HUB_KEYS": f"k1:{b64(K1)}, k2:{b64(K2)}",
        "HUB_ACTIVE_KEY": "k1",
        "HUB_BLIND_INDEX_KEY": b64(b"b" * 32),
        "HUB_PSEUDONYM_KEY": b64(b"p" * 32),
        "HUB_AUDIT_KEY": b64(b"a" * 32),
        "HUB_CIPHER": "sm4-gcm",
    }
    ring = load_keyring_from_env(env)
    assert ring.ids == ("k1", "k2") and ring.active_id == "k1" and ring.key("k2") == K2
    assert load_keyring_from_env({"HUB_KEYS": env["HUB_KEYS"]}).active_id == "k2"
    assert load_blind_index_key_from_env(env) == b"b" * 32
    assert load_pseudonym_key_from_env(env) == b"p" * 32
    assert load_field_cipher_from_env(env).algorithm == "sm4-gcm"
    keys = load_privacy_keys(env)
    assert "pseudonym_key" not in repr(keys) and b64(b"p" * 32) not in repr(keys)
    for bad in (
        {},
        {"HUB_KEYS": "k1"},
        {"HUB_KEYS": "k1:AAAA"},
        {"HUB_KEYS": f"k1:{b64(K1)}", "HUB_CIPHER": "des"},
    ):
        with pytest.raises(KeyConfigError):
            load_field_cipher_from_env(bad)
    with pytest.raises(KeyConfigError):
        PrivacyKeys(ring, blind_index_key=K1, pseudonym_key=b"p" * 32)


def test_key_file_generate_rotate_retire(tmp_path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    path = generate_key_file(tmp_path / "keys.json")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with pytest.raises(FileExistsError):
        generate_key_file(path)
    env = {"HUB_KEYS_FILE": str(path)}
    keys = load_privacy_keys(env)
    assert keys.keyring.ids == ("k1",) and len(keys.pseudonym_key) == 32
    token = FieldCipher(keys.keyring).encrypt(b"x", **WHERE)

    assert add_key_to_file(path) == "k2"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    ring = load_keyring_from_env(env)
    assert ring.active_id == "k2"
    cipher = FieldCipher(ring)
    token = cipher.rotate(token, **WHERE)
    retire_key_in_file(path, "k1")
    assert load_keyring_from_env(env).ids == ("k2",)
    assert FieldCipher(load_keyring_from_env(env)).decrypt(token, **WHERE) == b"x"
    with pytest.raises(KeyConfigError):
        retire_key_in_file(path, "k2")
    material = json.loads(path.read_text())["keys"]["k2"]
    assert material not in caplog.text
