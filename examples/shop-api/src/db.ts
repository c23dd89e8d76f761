import { PrismaClient } from '@prisma/client';

// One client for the whole process: every module imports this instance.
export const prisma = new PrismaClient();
