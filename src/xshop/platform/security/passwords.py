"""bcrypt hashing, computed off the event loop on a pool sized to the machine's cores."""

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import bcrypt

BCRYPT_MAX_BYTES = 72


def fits_bcrypt(password: str) -> bool:
    """bcrypt reads only the first 72 bytes (bcrypt 5 refuses longer input with ValueError)."""
    return len(password.encode()) <= BCRYPT_MAX_BYTES


class PasswordHasher:
    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        self._pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2, thread_name_prefix="bcrypt")

    def _hash(self, password: str) -> str:
        if not fits_bcrypt(password):
            raise ValueError(f"a password over {BCRYPT_MAX_BYTES} bytes must be refused by validation")
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(self.rounds)).decode()

    @staticmethod
    def _verify(password: str, hashed: str) -> bool:
        # Stored passwords are all within the limit, so a longer one is simply wrong; never truncated.
        if not fits_bcrypt(password):
            return False
        return bcrypt.checkpw(password.encode(), hashed.encode())

    async def hash(self, password: str) -> str:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._hash, password)

    async def verify(self, password: str, hashed: str) -> bool:
        return await asyncio.get_running_loop().run_in_executor(self._pool, self._verify, password, hashed)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
