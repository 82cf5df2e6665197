// A fixture standing in for a hashed Vite chunk; long enough that gzip makes it smaller.
export const fixture = 'console asset fixture console asset fixture console asset fixture console asset fixture';
